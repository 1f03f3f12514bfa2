package normalize

// Version is the normalizers' version. Bump it when a change alters the
// records produced: the bulk ledger then re-processes every file.
const Version = 2
