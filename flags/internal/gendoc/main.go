// Command gendoc writes docs/flags.md from the rule catalogue
// (run through `go generate ./flags`).
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"

	"registre/flags"
)

func main() {
	out := flag.String("o", "docs/flags.md", "file to write")
	flag.Parse()
	e := flags.New()
	var b bytes.Buffer
	if err := flags.Markdown(&b, e.Rules(), e.Providers()); err != nil {
		fmt.Fprintf(os.Stderr, "gendoc: render: %v\n", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, b.Bytes(), 0o644); err != nil {
		fmt.Fprintf(os.Stderr, "gendoc: write %s: %v\n", *out, err)
		os.Exit(1)
	}
}
