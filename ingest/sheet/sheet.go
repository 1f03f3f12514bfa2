// Package sheet reads files into a registre.Document.
package sheet

import (
	"context"
	"errors"

	"registre"
)

// Read reads a file's bytes into a document.
func Read(ctx context.Context, path string, data []byte) (*registre.Document, error) {
	return nil, errors.New("sheet reader: not written yet")
}
