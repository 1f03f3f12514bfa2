// Package html reads files into a registre.Document.
package html

import (
	"context"
	"errors"

	"registre"
)

// Read reads a file's bytes into a document.
func Read(ctx context.Context, path string, data []byte) (*registre.Document, error) {
	return nil, errors.New("html reader: not written yet")
}
