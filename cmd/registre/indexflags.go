package main

import (
	"context"
	"flag"
	"os"
	"path/filepath"

	"registre/index"
	"registre/index/bleveindex"
	"registre/index/esindex"
)

// indexFlags are the flags every command that reads or writes the index
// shares: the data dir of the embedded index, or an Elasticsearch cluster.
type indexFlags struct {
	data       string
	esURL      string
	esAPIKey   string
	esUser     string
	esPassword string
	esCACert   string
	// esAlias is the alias the records live behind, so that several
	// registers (or test runs) can share one cluster.
	esAlias string
}

// defaultDataDir is where the embedded index and the stores live unless
// --data says otherwise: $REGISTRE_DATA, else $XDG_DATA_HOME/registre, else
// ~/.local/share/registre.
func defaultDataDir() string {
	if d := os.Getenv("REGISTRE_DATA"); d != "" {
		return d
	}
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "registre")
	}
	if h, err := os.UserHomeDir(); err == nil {
		return filepath.Join(h, ".local", "share", "registre")
	}
	return "registre-data"
}

func (f *indexFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.data, "data", defaultDataDir(), "data dir (embedded index, ledger, reviews)")
	fs.StringVar(&f.esURL, "es-url", os.Getenv("ELASTICSEARCH_URL"), "Elasticsearch URL (default $ELASTICSEARCH_URL; empty = embedded index)")
	fs.StringVar(&f.esAPIKey, "es-api-key", os.Getenv("ELASTICSEARCH_API_KEY"), "Elasticsearch API key")
	fs.StringVar(&f.esUser, "es-user", os.Getenv("ELASTICSEARCH_USERNAME"), "Elasticsearch user (basic auth)")
	fs.StringVar(&f.esPassword, "es-password", os.Getenv("ELASTICSEARCH_PASSWORD"), "Elasticsearch password (basic auth)")
	fs.StringVar(&f.esCACert, "es-ca-cert", os.Getenv("ELASTICSEARCH_CA_CERT"), "CA certificate (PEM) of the cluster")
	alias := os.Getenv("ELASTICSEARCH_INDEX")
	if alias == "" {
		alias = esindex.DefaultAlias
	}
	fs.StringVar(&f.esAlias, "es-index", alias, "Elasticsearch alias holding the records ($ELASTICSEARCH_INDEX when set)")
}

// open opens the configured backend.
func (f *indexFlags) open(ctx context.Context) (index.Index, error) {
	if f.esURL != "" {
		return esindex.Open(ctx, esindex.Config{URL: f.esURL, APIKey: f.esAPIKey, Username: f.esUser, Password: f.esPassword, CACertFile: f.esCACert, Alias: f.esAlias})
	}
	return bleveindex.Open(ctx, f.data)
}
