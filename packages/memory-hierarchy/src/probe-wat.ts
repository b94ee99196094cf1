/**
 * The WebAssembly half of the probes, as WebAssembly text (compiled by wabt when first used). It runs the same
 * loops as the JavaScript ones without a JIT's bounds checks or type guards, so the gap between the two curves is
 * what the engine adds. Addresses in this memory are byte offsets, so a chain slot holds the next slot's address.
 */
export const PROBE_WAT = `
(module
  (import "env" "memory" (memory 1))

  ;; Follows steps dependent loads from byte address p and returns where it stopped.
  (func (export "chase") (param $p i32) (param $steps i32) (result i32)
    (block $done
      (loop $step
        (br_if $done (i32.eqz (local.get $steps)))
        (local.set $p (i32.load (local.get $p)))
        (local.set $steps (i32.sub (local.get $steps) (i32.const 1)))
        (br $step)))
    (local.get $p))

  ;; Adds up one 32-bit integer every stride bytes of the first bytes of memory: a load per element and nothing
  ;; else, so that memory, not the loop, sets the pace.
  (func (export "stridedSum") (param $bytes i32) (param $stride i32) (result i32)
    (local $p i32) (local $sum i32)
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $p) (local.get $bytes)))
        (local.set $sum (i32.add (local.get $sum) (i32.load (local.get $p))))
        (local.set $p (i32.add (local.get $p) (local.get $stride)))
        (br $step)))
    (local.get $sum))

  ;; Adds up bytes (a multiple of 64) from ptr as 32-bit integers, 64 bytes a step into four 128-bit
  ;; accumulators, so the loads never wait on one chain of additions.
  (func (export "readSum") (param $ptr i32) (param $bytes i32) (result i32)
    (local $end i32) (local $a v128) (local $b v128) (local $c v128) (local $d v128)
    (local.set $end (i32.add (local.get $ptr) (local.get $bytes)))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $ptr) (local.get $end)))
        (local.set $a (i32x4.add (local.get $a) (v128.load offset=0 (local.get $ptr))))
        (local.set $b (i32x4.add (local.get $b) (v128.load offset=16 (local.get $ptr))))
        (local.set $c (i32x4.add (local.get $c) (v128.load offset=32 (local.get $ptr))))
        (local.set $d (i32x4.add (local.get $d) (v128.load offset=48 (local.get $ptr))))
        (local.set $ptr (i32.add (local.get $ptr) (i32.const 64)))
        (br $step)))
    (local.set $a (i32x4.add (i32x4.add (local.get $a) (local.get $b)) (i32x4.add (local.get $c) (local.get $d))))
    (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $a)) (i32x4.extract_lane 1 (local.get $a)))
      (i32.add (i32x4.extract_lane 2 (local.get $a)) (i32x4.extract_lane 3 (local.get $a)))))
)
`;
