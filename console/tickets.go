package console

// officerRoutes registers the officers' pages: the queue and the ticket page.
func (s *Server) officerRoutes() {}
