package bleveindex

// maxSegmentDocs caps the documents in a segment produced by scorch's
// merger (its MaxSegmentSize; bleve's default, 5 million, is no cap at our
// scale).
//
// Why: a merge reads its input segments through their memory maps, so
// while it runs every page of its inputs is resident in the process —
// file-backed and reclaimable, but counted in its RSS. Uncapped, the merger
// ends up merging most of the index into one segment: during a 30,000-file
// ingestion (177,000 records) RSS went from 0.21 GB to 0.84 GB for the 8
// seconds of one merge of 610 MB of segments, the anonymous memory (Go
// heap) unchanged at 0.10–0.15 GB; at 100,000 files it reached 1.7 GB.
// Segments take 5.5–7.5 KB a record on disk (term vectors for
// highlighting, stored fields), so a merge now reads at most about 70 MB:
// the same 30,000 files peaked at 324 MB instead of 553 MB, CPU +2 %.
// The price: more segments (30 instead of 14 at 177,000 records, about
// 60–80 at 600,000), each keeping a few MB of touched pages resident, and
// searches using 5–30 % more CPU. docs/benchmarks.md has the measurements.
const maxSegmentDocs = 10000

// scorchConfig adds the scorch tuning to a bleve runtime config. bleve does
// not store these options with the index, so every open passes them.
func scorchConfig(cfg map[string]interface{}) map[string]interface{} {
	// Fields not given keep bleve's defaults (mergeplan.DefaultMergePlanOptions).
	cfg["scorchMergePlanOptions"] = map[string]interface{}{"MaxSegmentSize": maxSegmentDocs}
	return cfg
}
