"""What people take away: number formatting, tables, plotly charts, Excel files, chart images and the
briefing deck (PPTX/PDF)."""
