"""Writes the two confirmation tables, data/cars.csv and data/seattle_weather.csv, from the npm package
vega-datasets 2.8.0 (BSD-3-Clause): `npm pack vega-datasets@2.8.0 && tar xzf vega-datasets-2.8.0.tgz`, then
`python3 tests/Mta.QualityBenchmark/vega_tables.py package/data data`.

They are not among the ten tables the defaults are judged on: a default chosen on the ten is confirmed on these.
cars: the StatLib Auto MPG data (406 cars), labels miles per gallon and origin. seattle_weather: NOAA daily
observations for Seattle 2012-2015 (1,461 days), labels the day's maximum temperature and its weather.
"""
import csv
import json
import os
import sys


# A missing value (None) is written as an empty field, which the benchmark reads as missing.
def write(path, header, rows):
    # An existing file is data someone may have edited: never overwrite it.
    if os.path.exists(path):
        sys.exit(f"{path} exists; remove it first to rewrite it")
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def main(source, target):
    with open(os.path.join(source, "cars.json")) as f:
        cars = json.load(f)
    write(os.path.join(target, "cars.csv"),
          ["mpg", "cylinders", "displacement", "horsepower", "weight", "acceleration", "year", "origin"],
          [[c["Miles_per_Gallon"], c["Cylinders"], c["Displacement"], c["Horsepower"],
            c["Weight_in_lbs"], c["Acceleration"], int(c["Year"][:4]), c["Origin"]] for c in cars])

    with open(os.path.join(source, "seattle-weather.csv")) as f:
        days = list(csv.DictReader(f))
    write(os.path.join(target, "seattle_weather.csv"),
          ["year", "month", "precipitation", "temp_max", "temp_min", "wind", "weather"],
          [[int(d["date"][:4]), int(d["date"][5:7]), float(d["precipitation"]), float(d["temp_max"]),
            float(d["temp_min"]), float(d["wind"]), d["weather"]] for d in days])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
