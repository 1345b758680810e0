"""Reading reports: free text into draft threats, places, actors, incidents and advice.

Pure Python on plain data (no Django). ``extract(text)`` returns the draft as a dict whose
offsets index ``text``; ``read_document(path)`` turns .txt, .md, .html, .pdf and .docx files
into that text.
"""

from riskatlas.extraction.documents import read_document
from riskatlas.extraction.engine import ENGINE, available_model, extract

__all__ = ["ENGINE", "available_model", "extract", "read_document"]
