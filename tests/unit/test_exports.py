import io

import pandas as pd

from publish.exports import csv_bytes


def test_formula_like_cells_are_neutralised_and_numbers_kept():
    frame = pd.DataFrame({"note": ['=HYPERLINK("x")', "+1", "plain", "@SUM(A1)"], "n": [1, -2, 3, 4]})
    back = pd.read_csv(io.BytesIO(csv_bytes(frame)))
    assert back["note"].tolist() == ['\'=HYPERLINK("x")', "'+1", "plain", "'@SUM(A1)"]
    assert back["n"].tolist() == [1, -2, 3, 4]  # numeric columns, including negatives, untouched
