export { type BuiltDemo, buildDemos, type DemoFile } from './demos.js';
export { serveSite } from './serve.js';
export {
  type BuiltPage,
  benchTable,
  buildSite,
  page,
  pageOf,
  readWorkspaces,
  roadmapRows,
  type SiteOptions,
  type Workspace,
} from './site.js';
