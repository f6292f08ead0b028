"""A writer's draft against the graph: parse the text, resolve its citations,
check each cited sentence, and extract new statements."""
