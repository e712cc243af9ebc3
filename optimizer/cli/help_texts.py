"""Help texts that several commands share."""

INPUT_HELP = (
    "project JSON (roster or case problem), table bundle (.xlsx/.xlsm, or .zip of CSVs, as the "
    "dashboard writes them), Curtois–Qu .txt or PSPLIB .sm"
)
FORMAT_HELP = (
    "auto (from the extension) | json | bundle (.xlsx/.zip tables) | curtois | psplib; "
    "a bundle may also be an .xlsm workbook"
)
