// Package text reads files into a registre.Document.
package text

import (
	"context"
	"errors"

	"registre"
)

// Read reads a file's bytes into a document.
func Read(ctx context.Context, path string, data []byte) (*registre.Document, error) {
	return nil, errors.New("text reader: not written yet")
}
