package cramif

// Version is this parser's version; bump it when a change alters its
// records (the bulk ledger re-processes what it affects).
const Version = 1

// Version implements extract.Versioned.
func (Parser) Version() int { return Version }
