"""Windows and dialogs opened from the sections: the document editor and view, small forms."""
