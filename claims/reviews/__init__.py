"""Reviews: verdicts on claims by publishers, ours and other fact-checkers'. The model's
writes (``store``) and reads (``reads``), verdict labels (``verdicts``), schema.org
ClaimReview and JSON-LD in (``jsonld``, ``claimreview``, ``records``, ``writer``,
``importing``, ``presets``) and out (``export``)."""
