package text

// Version is this reader's version. Bump it when a change alters the
// documents it produces: the bulk ledger then re-reads only the files of this
// format (and keeps every other file as it is).
// 2: tab-separated tables, inline HTML in cells, Markdown emphasis and
// hard breaks.
const Version = 2
