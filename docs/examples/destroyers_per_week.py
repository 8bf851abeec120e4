"""Destroyers in the Caribbean per week, August to December 2025, from orbat's presence export.

    orbat export --to presence-csv presence.csv      # one row per unit and run of days
    python docs/examples/destroyers_per_week.py presence.csv

Needs pandas (``pip install 'orbat[notebook]'``). Each week is counted on its last day (Sunday),
as ``orbat table --as-of DAY --by type`` counts it: ``certain`` adds up the destroyers certainly in
the region, ``possible`` those possibly in it (a ``+`` marks a count with no upper bound).
"""

import sys

import pandas as pd

rows = pd.read_csv(sys.argv[1], parse_dates=["first_day", "last_day"])
destroyers = rows[rows["type"] == "DDG"]  # named ships and unnamed groups alike

# Join every week's last day to the rows that hold on it.
weeks = pd.DataFrame({"week_ending": pd.date_range("2025-08-03", "2025-12-28", freq="W-SUN")})
on = weeks.merge(destroyers, how="cross")
on = on[(on["first_day"] <= on["week_ending"]) & ((on["week_ending"] <= on["last_day"]) | on["ongoing"])]

certain = on[on["certainly_in_region"]].groupby("week_ending")["count_low"].sum()
possible = on[on["possibly_in_region"]].groupby("week_ending")
table = pd.DataFrame(
    {
        "certain": certain,
        "possible": possible["count_high"].sum(),
        "open": possible["count_high_open"].any(),
    }
)
table = weeks.set_index("week_ending").join(table)
table[["certain", "possible"]] = table[["certain", "possible"]].fillna(0).astype(int)
table["possible"] = table["possible"].astype(str) + table["open"].map({True: "+"}).fillna("")
table.index = table.index.strftime("%Y-%m-%d")
print(table[["certain", "possible"]].to_string())
