"""``claims extract``: propose a news story's claims, with their speakers, by rules.

No model: sentence splitting, quotation marks, reporting verbs and the database's own
entity names and aliases. ``extract_claims(text, Lexicon.from_database(session))`` is the
whole pipeline; ``read_input`` turns a file, stdin or a URL (HTML through the optional
``claims[extract]`` extra) into text first, and ``adding.add_candidates`` records them.
"""
