"""Test helpers shared by the suite (imported by tests only, never by the application)."""
