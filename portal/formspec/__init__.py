"""The declarative form engine: one plain-data definition per official form gives the web form,
its validation, the read-only and PDF layout, and the Excel columns."""
