export * from './aggregated-llm';
export * from './disaggregated-llm';
export * from './discovery';
export * from './llm-engine';
export * from './llm-service';
export * from './llm-worker-role';
export * from './model-cache';
export * as engines from './engines';
