/**
 * PyTorch-style method syntax on Tensor (x.matmul(w).add(b).relu()), attached to the prototype here so
 * tensor.ts and ops.ts do not import each other.
 */
import type { ReduceOptions, SliceSpec } from '@mle/tensor';
import * as ops from './ops.js';
import { Tensor } from './tensor.js';

declare module './tensor.js' {
  interface Tensor {
    add(other: ops.Input): Tensor;
    sub(other: ops.Input): Tensor;
    mul(other: ops.Input): Tensor;
    div(other: ops.Input): Tensor;
    pow(exponent: number): Tensor;
    neg(): Tensor;
    exp(): Tensor;
    log(): Tensor;
    sqrt(): Tensor;
    abs(): Tensor;
    tanh(): Tensor;
    sigmoid(): Tensor;
    relu(): Tensor;
    gelu(options?: { approximate?: 'none' | 'tanh' }): Tensor;
    matmul(other: Tensor): Tensor;
    sum(options?: ReduceOptions): Tensor;
    mean(options?: ReduceOptions): Tensor;
    max(options?: ReduceOptions): Tensor;
    softmax(axis?: number): Tensor;
    logSoftmax(axis?: number): Tensor;
    reshape(...shape: number[]): Tensor;
    transpose(...axes: number[]): Tensor;
    slice(...specs: SliceSpec[]): Tensor;
    readonly T: Tensor;
  }
}

const proto = Tensor.prototype;
proto.add = function (other) {
  return ops.add(this, other);
};
proto.sub = function (other) {
  return ops.sub(this, other);
};
proto.mul = function (other) {
  return ops.mul(this, other);
};
proto.div = function (other) {
  return ops.div(this, other);
};
proto.pow = function (exponent) {
  return ops.pow(this, exponent);
};
proto.neg = function () {
  return ops.neg(this);
};
proto.exp = function () {
  return ops.exp(this);
};
proto.log = function () {
  return ops.log(this);
};
proto.sqrt = function () {
  return ops.sqrt(this);
};
proto.abs = function () {
  return ops.abs(this);
};
proto.tanh = function () {
  return ops.tanh(this);
};
proto.sigmoid = function () {
  return ops.sigmoid(this);
};
proto.relu = function () {
  return ops.relu(this);
};
proto.gelu = function (options) {
  return ops.gelu(this, options);
};
proto.matmul = function (other) {
  return ops.matmul(this, other);
};
proto.sum = function (options) {
  return ops.sum(this, options);
};
proto.mean = function (options) {
  return ops.mean(this, options);
};
proto.max = function (options) {
  return ops.max(this, options);
};
proto.softmax = function (axis) {
  return ops.softmax(this, axis);
};
proto.logSoftmax = function (axis) {
  return ops.logSoftmax(this, axis);
};
proto.reshape = function (...shape) {
  return ops.reshape(this, shape);
};
proto.transpose = function (...axes) {
  return ops.transpose(this, ...axes);
};
proto.slice = function (...specs) {
  return ops.slice(this, ...specs);
};
Object.defineProperty(proto, 'T', {
  get(this: Tensor) {
    return ops.transpose(this);
  },
});
