"""The label schema shared by the corpus tools, the pipeline and the annotation exports."""

ENTITY_LABELS = ("AGENCY", "POLICY", "INDICATOR", "VALUE", "PERIOD", "ZONE")

# relation label -> (head label, child label)
RELATION_TYPES = {
    "HAS_VALUE": ("INDICATOR", "VALUE"),
    "HAS_CHANGE": ("INDICATOR", "VALUE"),
    "IN_PERIOD": ("INDICATOR", "PERIOD"),
    "IN_ZONE": ("INDICATOR", "ZONE"),
    "ISSUED_BY": ("POLICY", "AGENCY"),
}
RELATION_LABELS = tuple(RELATION_TYPES)
