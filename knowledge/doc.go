// Package knowledge holds the FAQ knowledge base: FAQs and their storage in PostgreSQL,
// the knowledge-base file format (YAML or JSON), the in-memory Bleve index built from
// them, and the search that ranks FAQs for a citizen's question and decides whether to
// answer, ask which one was meant, or hand the question to an officer.
//
// It knows nothing about Telegram or HTTP.
package knowledge
