"""spaCy pipeline of news-warehouse: model + registered newswh_* components (see pipeline.py)."""
