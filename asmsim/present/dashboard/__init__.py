"""The live workshop dashboard: a Solara page over one running :class:`ASMModel`.

Modules, one job each: ``i18n`` (labels in en/fr/es), ``levers`` (which config
keys are on the page and how they map to controls), ``charts`` and ``mapview``
(matplotlib drawings), ``session`` (the running model and its clock),
``components`` and ``app`` (the page), ``assets`` (offline front-end files) and
``server`` (starting Solara bound to 127.0.0.1).
"""
