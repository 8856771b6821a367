package console

// supervisorRoutes registers the supervisors' pages: the dashboard, CSV exports and
// the public page of monthly figures.
func (s *Server) supervisorRoutes() {}
