"""The Word 分析报告 in 公文 layout (GB/T 9704-2012): content by rules, the .docx, PDF for checking."""
