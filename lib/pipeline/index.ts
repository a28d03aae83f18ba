// lib/pipeline: chains of work. Each part below has its own section; add exports to yours only.

// --- stages, lock, status, dag, watch (pipeline file and runner)

// --- QA gates (qa/)

// --- lineage and PROV-JSON (lineage/)

// --- metrics and the governance report (metrics/, governance/)
export {};
