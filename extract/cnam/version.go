package cnam

// Version is this parser's version; bump it when a change alters its
// records. 1: registers read without positions (Markdown conversions, HTML
// or Word tables) are parsed from their table blocks.
const Version = 1

// Version implements extract.Versioned.
func (Parser) Version() int { return Version }
