"""FastAPI helpers shared by the HTTP fronts: error mapping, authentication, language."""
