"""Service catalogue (事项): base and implementing items, versions, guides, themes, bundles, search."""
