package console

// editorRoutes registers the editors' pages: FAQs, synonyms, import and export, the
// "try a question" box, golden questions and unanswered questions.
func (s *Server) editorRoutes() {}
