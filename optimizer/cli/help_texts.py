"""Help texts that several commands share."""

INPUT_HELP = (
    "project JSON (roster or case problem), table bundle (.xlsx/.xlsm, or a .zip or folder of "
    "CSVs, as the dashboard writes them), Curtois–Qu .txt or PSPLIB .sm"
)
FORMAT_HELP = (
    "auto (from the extension) | json | bundle (.xlsx/.zip tables) | curtois | psplib; "
    "a bundle may also be an .xlsm workbook or a folder of CSV files (auto reads a folder as one)"
)
OUT_HELP = (
    "write a file, repeatable: .csv (the solution contract), .json (the Result), .xlsx (the "
    "planner's workbook); with no solution the .json and .xlsx say why and no .csv is "
    "written (an older one there is removed)"
)
"""``solve --out``: what each suffix holds."""
