"""PDF and XLSX writers: data in, file out."""
