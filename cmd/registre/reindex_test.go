package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"registre/index"
	"registre/index/esindex"
)

// testESURL is the test node's URL, saved by TestMain before it clears the
// variable for the other command tests.
var testESURL string

// esNode returns the node's URL; under CI a missing node fails the test.
func esNode(t *testing.T) string {
	t.Helper()
	if testESURL == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("ELASTICSEARCH_URL is not set: CI must start scripts/elasticsearch.sh and export it")
		}
		t.Skip("ELASTICSEARCH_URL not set; start a node with scripts/elasticsearch.sh start")
	}
	return testESURL
}

// esTestIndex opens an index on the node behind an alias of its own (prefix
// plus a random number, so tests sharing the node never meet), dropped when
// the test ends. One node: no replicas, or the index would stay yellow.
func esTestIndex(t *testing.T, url, prefix string) (*esindex.Index, string) {
	t.Helper()
	alias := fmt.Sprintf("%s-%d", prefix, rand.Uint32())
	zero := 0
	x, err := esindex.Open(context.Background(), esindex.Config{URL: url, Alias: alias, Replicas: &zero})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := x.Drop(context.Background()); err != nil {
			t.Errorf("drop %s: %v", alias, err)
		}
		x.Close()
	})
	return x, alias
}

// TestReindexCommand ingests the Cramif page into a real Elasticsearch
// behind an alias of its own, runs "registre reindex", and checks that the
// alias moved to a new index that holds the same entries and still answers a
// French query.
func TestReindexCommand(t *testing.T) {
	url := esNode(t)
	ctx := context.Background()
	x, alias := esTestIndex(t, url, "registre-cli-test")
	es := []string{"--es-url", url, "--es-index", alias}

	tree := t.TempDir()
	copyFile(t, "../../fixtures/corpus/cramif-registre.html", filepath.Join(tree, "cramif.html"))
	rep, out, code := ingestCLI(t, t.TempDir(), append(es, tree)...)
	if code != exitOK || rep.Records == 0 || !strings.Contains(rep.Backend, "elasticsearch") {
		t.Fatalf("ingest into %s: exit %d, %d records, backend %q\n%s", alias, code, rep.Records, rep.Backend, out)
	}
	count := func() int {
		t.Helper()
		if err := x.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		res, err := x.Search(ctx, index.Query{Text: "donnees de sante"})
		if err != nil {
			t.Fatal(err)
		}
		all, err := x.Search(ctx, index.Query{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total == 0 {
			t.Errorf("the French query finds nothing (of %d records)", all.Total)
		}
		return all.Total
	}
	before := count()
	if before != rep.Records {
		t.Fatalf("index holds %d records, ingest reported %d", before, rep.Records)
	}

	stdout, stderr, code := runCLI(t, append([]string{"reindex"}, es...)...)
	if code != exitOK {
		t.Fatalf("reindex: exit %d\n%s", code, stderr)
	}
	name := strings.TrimSpace(stdout[strings.LastIndex(stdout, " ")+1:])
	if !strings.HasPrefix(stdout, "alias "+alias+" now points at ") || !strings.HasPrefix(name, alias+"-v") {
		t.Fatalf("reindex output %q", stdout)
	}
	if after := count(); after != before {
		t.Errorf("after reindex %d records, before %d", after, before)
	}
	// A second reindex moves the alias again: the first new index is gone.
	stdout2, stderr, code := runCLI(t, append([]string{"reindex"}, es...)...)
	if code != exitOK || strings.Contains(stdout2, name) {
		t.Fatalf("second reindex: exit %d, %q (first %s)\n%s", code, stdout2, name, stderr)
	}

	if _, _, code := runCLI(t, "reindex", "--data", t.TempDir()); code != exitUsage {
		t.Errorf("reindex without --es-url: exit %d, want %d", code, exitUsage)
	}
}
