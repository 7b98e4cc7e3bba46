//! Clusters: discovery and the walk over their Flux Kustomizations.
