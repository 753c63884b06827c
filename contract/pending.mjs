// Resources whose paylink API is not built yet. Their contract tests still run and
// print their failures, but node:test reports them as TODO instead of failing the
// run. Add a line (resource: "why") while a resource is a stub and remove it as soon
// as the resource lands; CONTRACT_STRICT=1 ignores the list.
export const PENDING = {};
