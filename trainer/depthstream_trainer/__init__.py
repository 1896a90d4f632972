"""Trainer for the networks the depthstream node runs (fast interpolation, depth SR GAN, focal stack).

Depth enters and leaves every exported model in metres (0 = no measurement); each model normalises
internally by its configured ``max_depth``, so the Java side needs no knowledge of the normalisation.
"""
