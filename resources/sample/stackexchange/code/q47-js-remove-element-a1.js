const rest = items.filter(x => x !== target);
