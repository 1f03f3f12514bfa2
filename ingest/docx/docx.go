// Package docx reads files into a registre.Document.
package docx

import (
	"context"
	"errors"

	"registre"
)

// Read reads a file's bytes into a document.
func Read(ctx context.Context, path string, data []byte) (*registre.Document, error) {
	return nil, errors.New("docx reader: not written yet")
}
