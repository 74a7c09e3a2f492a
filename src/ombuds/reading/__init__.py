"""Reading published decision statements back into :class:`~ombuds.domain.record.DecisionRecord`."""
