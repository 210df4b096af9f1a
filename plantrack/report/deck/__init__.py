"""The briefing deck (汇报材料): slides.build() decides what each slide says; powerpoint.to_pptx()
and pdf.to_pdf() render it."""
