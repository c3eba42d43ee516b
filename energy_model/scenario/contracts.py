"""Schema of ownership and supply contracts (issue 18): who owns each asset and how the
tenant pays for it. No physics and no money maths here (see
:mod:`energy_model.economics.contracts`).

A park's ``contracts:`` list names an asset (a PV array, a wind farm, or ``battery``) and
its ownership. An asset without an entry is ``owned`` by the park or tenant (today's
behaviour: its capex, O&M and replacements are in the park's cash flow).

=================  ===================================================================
ownership          what the tenant pays (the third party owns the asset)
=================  ===================================================================
``owned``          nothing: the park's own cash flow (the default)
``lease``          a fixed ``lease_vnd_per_kw_yr`` × capacity, or ``lease_vnd_per_month``
``ppa``            ``price_vnd_per_kwh`` × energy delivered (an ESCO rooftop or battery PPA)
``dppa_private``   ``price_vnd_per_kwh`` × off-site farm energy delivered by a private line,
                   capped by the generation price frame (Decree 57/2025, S2)
``dppa_virtual``   a contract for differences (``strike_vnd_per_kwh`` − market price) on the
                   farm output matched hourly to the park's load, plus the market price and
                   the service charges paid to the power corporation (Decree 57/2025, S2)
=================  ===================================================================

Payments escalate by ``escalation_nominal`` a year from the agreed year-1 price
(year t pays ``price × (1 + e)^(t − 1)``, nominal VND), and run for ``term_years``
(default: the scenario's ``economics.lifetime_years``).

Example::

    parks:
      - id: song_khoai
        contracts:
          - {asset: roof, ownership: ppa, price_vnd_per_kwh: 1500, escalation_nominal: 0.02}
          - {asset: nearshore, ownership: dppa_virtual, strike_vnd_per_kwh: 1400}
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from energy_model.errors import Problem
from energy_model.scenario.locate import located_problem
from energy_model.yaml_io import LineMap

#: Decree 57/2025 virtual-DPPA service charges of 2025 [VND/kWh] (quang_ninh.md §3, S2)
SYSTEM_SERVICE_VND_PER_KWH = 360.0
SETTLEMENT_ADDER_VND_PER_KWH = 163.0
#: metering voltages at or above 22 kV (a virtual-DPPA buyer must be one, Decree 57/2025)
VOLTAGES_22KV_AND_ABOVE = ("ge110kv", "22_110kv")
#: the asset name of a park's battery in ``contracts[].asset``
BATTERY_ASSET = "battery"

Ownership = Literal["owned", "lease", "ppa", "dppa_private", "dppa_virtual"]


class Contract(BaseModel):
    """Ownership of one asset of a park and the contract the tenant pays under."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    asset: str = Field(min_length=1, max_length=100,
                       description="a PV array name, a wind farm name, or 'battery'")
    ownership: Ownership = Field(
        description="'owned' (the park's cash flow, default), 'lease', 'ppa', "
                    "'dppa_private' (off-site farm, private line), 'dppa_virtual' (CfD)")
    price_vnd_per_kwh: float | None = Field(
        None, ge=0, le=20000, description="ppa and dppa_private: year-1 price of a delivered "
                                          "kWh [VND/kWh], excl. VAT")
    strike_vnd_per_kwh: float | None = Field(
        None, ge=0, le=20000, description="dppa_virtual: year-1 strike price of the contract "
                                          "for differences [VND/kWh]")
    lease_vnd_per_kw_yr: float | None = Field(
        None, ge=0, le=1e8, description="lease: year-1 rent per kW (kWp for PV, kW of power "
                                        "for a battery) [VND/kW/yr]")
    lease_vnd_per_month: float | None = Field(
        None, ge=0, le=1e12, description="lease: year-1 rent of the whole asset [VND/month]")
    escalation_nominal: float = Field(
        0.0, ge=-0.2, le=0.5, description="yearly escalation of the price or rent [1/yr, "
                                          "nominal]: year t pays price × (1 + e)^(t − 1)")
    term_years: int | None = Field(
        None, ge=1, le=60, description="contract term [yr]; default economics.lifetime_years")
    price_cap_vnd_per_kwh: float | None = Field(
        None, gt=0, le=20000, description="dppa_private: the generation price frame that caps "
                                          "the price [VND/kWh]; the wind frame is not in the "
                                          "reference (NF), so the price is checked only when "
                                          "this is given (for comparison, ground PV in the "
                                          "North: 1,382.7, QĐ 988/2025, S2)")
    system_service_vnd_per_kwh: float = Field(
        SYSTEM_SERVICE_VND_PER_KWH, ge=0, le=5000,
        description="dppa_virtual: system service charge paid to the power corporation on "
                    "the matched kWh [VND/kWh] (2025: ≈ 360, S2)")
    settlement_adder_vnd_per_kwh: float = Field(
        SETTLEMENT_ADDER_VND_PER_KWH, ge=0, le=5000,
        description="dppa_virtual: settlement adder on the matched kWh [VND/kWh] "
                    "(2025: ≈ 163, S2)")
    share: float = Field(1.0, gt=0, le=1, description="dppa: share of the farm's output "
                                                       "contracted to this park [-]")
    loss_factor: float = Field(
        1.0, gt=0.5, le=1.0, description="dppa_virtual: grid loss coefficient applied to the "
                                         "farm output before matching [-] (Decree 57/2025's "
                                         "coefficient not found, NF: default 1)")
    investor_capex_vnd_per_kw: float | None = Field(
        None, ge=0, le=2e8, description="capex of the third party's asset [VND/kW]; default "
                                        "the cost table's row of the technology")
    investor_om_vnd_per_kw_yr: float | None = Field(
        None, ge=0, le=1e7, description="fixed O&M of the third party's asset [VND/kW/yr]; "
                                        "default the cost table's row")

    @model_validator(mode="after")
    def _keys_of_kind(self):
        given = {k for k in ("price_vnd_per_kwh", "strike_vnd_per_kwh", "lease_vnd_per_kw_yr",
                             "lease_vnd_per_month") if getattr(self, k) is not None}
        need = {"owned": set(), "ppa": {"price_vnd_per_kwh"},
                "dppa_private": {"price_vnd_per_kwh"},
                "dppa_virtual": {"strike_vnd_per_kwh"}}.get(self.ownership)
        if self.ownership == "lease":
            if len(given & {"lease_vnd_per_kw_yr", "lease_vnd_per_month"}) != 1:
                raise ValueError("ownership 'lease' needs exactly one of 'lease_vnd_per_kw_yr' "
                                 "and 'lease_vnd_per_month'")
            need = given & {"lease_vnd_per_kw_yr", "lease_vnd_per_month"}
        missing, extra = need - given, given - need
        if missing:
            raise ValueError(f"ownership {self.ownership!r} needs {sorted(missing)[0]!r}")
        if extra:
            raise ValueError(f"ownership {self.ownership!r} takes no {sorted(extra)[0]!r}; "
                             f"expected {sorted(need) or 'no price'}")
        if (self.price_cap_vnd_per_kwh is not None and self.ownership == "dppa_private"
                and self.price_vnd_per_kwh > self.price_cap_vnd_per_kwh):
            raise ValueError(f"price_vnd_per_kwh {self.price_vnd_per_kwh:g} is above the "
                             f"generation price frame cap {self.price_cap_vnd_per_kwh:g} "
                             "(Decree 57/2025: a private-line price is capped by the frame)")
        return self


class ContractSettings(BaseModel):
    """Scenario-wide settings of the contracts' accounting."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    market_price_file: str | None = Field(
        None, description="hourly market (spot) price CSV for the virtual DPPA: columns "
                          "'time' (ISO 8601 with UTC offset) and 'price_vnd_per_kwh'. Default: "
                          "the synthetic proxy energy_model/data/spot_price_proxy.yaml (E)")
    network_cost_vnd_per_kwh: float = Field(
        SYSTEM_SERVICE_VND_PER_KWH, ge=0, le=5000,
        description="economic view: cost of delivering a wholesale kWh to a park [VND/kWh]; a "
                    "kWh the park does not import is worth market price + this (E: Decree "
                    "57/2025's system service charge, 2025 ≈ 360, S2)")


def _asset_problem(park, c: Contract, kkt_metering: str = "") -> tuple[str, str] | None:
    """(message, key) of a contract whose asset does not fit its ownership, else None."""
    if park.kind == "KKT" and kkt_metering == "class_meters" and c.ownership != "owned":
        return ("contracts of a KKT sized per class meter (kkt_metering: class_meters) are not "
                "evaluated; expected kkt_metering: zone_substation_storage, or the contract on "
                "a KCN", "ownership")
    arrays = {a.name for a in park.pv}
    farms = {w.name: w for w in park.wind}
    known = sorted(arrays | set(farms) | {BATTERY_ASSET})
    if c.asset not in arrays and c.asset not in farms and c.asset != BATTERY_ASSET:
        return (f"unknown asset {c.asset!r}; expected a PV array or wind farm of this park, "
                f"or 'battery' (known: {', '.join(known)})", "asset")
    offsite = any(a.name == c.asset and getattr(a, "offsite", False)
                  for a in (*park.pv, *park.wind))  # an off-site wind or solar farm
    if c.ownership.startswith("dppa") and not offsite:
        return (f"ownership {c.ownership!r} is for an off-site farm (a wind farm or ground "
                f"PV array with 'offsite: true'); {c.asset!r} is on site: use 'lease' or "
                "'ppa'", "ownership")
    if offsite and c.ownership in ("lease", "ppa"):
        return (f"{c.asset!r} is an off-site farm: expected ownership 'dppa_private' or "
                f"'dppa_virtual', got {c.ownership!r}", "ownership")
    if c.asset == BATTERY_ASSET and not park.battery.allowed:
        return ("a 'battery' contract needs battery.allowed: true in this park", "asset")
    if c.ownership == "dppa_virtual" and park.grid.voltage not in VOLTAGES_22KV_AND_ABOVE:
        return (f"a virtual DPPA buyer must be metered at 22 kV or above (Decree 57/2025); "
                f"this park's grid.voltage is {park.grid.voltage!r}, expected one of "
                f"{', '.join(VOLTAGES_22KV_AND_ABOVE)}", "ownership")
    return None


def contract_problems(scenario, file: str, lines: LineMap) -> list[Problem]:
    """Located problems of the parks' contracts the schema alone cannot see: unknown
    assets, an ownership that does not fit the asset, duplicates, a virtual-DPPA buyer
    below 22 kV, a KKT sized per class meter, a missing market price file.

    Parameters
    ----------
    scenario : Scenario
        The validated scenario.
    file : str
        Its file, for the messages.
    lines : LineMap
        Its key-path → line map.

    Returns
    -------
    list of Problem
    """
    problems = []
    market = scenario.contracts.market_price_file
    if market and not Path(market).is_file():
        problems.append(located_problem(
            f"market price file not found: {market}; expected a CSV with columns 'time' and "
            "'price_vnd_per_kwh' (or remove the key to use the spot-price proxy)", file, lines,
            ("contracts", "market_price_file")))
    for i, park in enumerate(scenario.parks):
        seen: dict[str, int] = {}
        for j, c in enumerate(getattr(park, "contracts", [])):
            where = ("parks", i, "contracts", j)
            if c.asset in seen:
                problems.append(located_problem(
                    f"asset {c.asset!r} has a second contract (first: contracts[{seen[c.asset]}])"
                    "; expected one contract per asset", file, lines, (*where, "asset")))
                continue
            seen[c.asset] = j
            bad = _asset_problem(park, c, getattr(scenario, "kkt_metering", ""))
            if bad:
                problems.append(located_problem(bad[0], file, lines, (*where, bad[1])))
    return problems
