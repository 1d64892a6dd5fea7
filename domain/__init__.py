"""The calculation domain of pensionsval: KAP-KL, AKAP-KR, the 2023 choice and the comparison.

Pure Python: no Flask, no database, no network. Inputs are the dataclasses in ``domain.model``;
every result carries a ``domain.explanation.Explanation``. See ``domain/README.md``.
"""

from domain.explanation import Explanation, ParameterUse
from domain.model import Employment, LeavePeriod, PersonHistory, SalaryYear

__all__ = ["Employment", "Explanation", "LeavePeriod", "ParameterUse", "PersonHistory", "SalaryYear"]
