export { serveSite } from './serve.js';
export {
  type BenchRecord,
  type BuiltPage,
  benchTable,
  buildSite,
  pageOf,
  readWorkspaces,
  roadmapRows,
  type SiteOptions,
  type Workspace,
} from './site.js';
