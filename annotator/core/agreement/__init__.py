"""Agreement between coders: matched units, Krippendorff's alpha and alpha_u, kappas.

Pure Python (no numpy, no Qt, no SQL): ``units`` matches coders' spans into units,
``alpha`` is Krippendorff's alpha over a coincidence matrix, ``unitizing`` is
Krippendorff's alpha_u over the text, ``kappa`` holds percent agreement, Cohen's and
Fleiss' kappa and Gwet's AC1.
"""
