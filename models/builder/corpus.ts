/** A small English corpus the test tokenizers are trained on (written for Longhand; public domain). */
export const CORPUS = `Once upon a time, there was a little girl named Lily. She loved to play outside in the park with her friends.
One day, she saw a big red ball under a tree. She wanted to play with it, but it was too high. Her mom said, "Lily, let's go home."
The old lighthouse keeper climbed the stairs every night and lit the lamp, so the ships could find their way through the storm.
In the morning the town woke to the smell of bread from the bakery on the corner, and the children ran to school along the river.
The report describes the results of the study: the number of visitors grew by twelve percent, while the cost of each visit fell.
We recommend that the committee review the budget in March and that the new plan be written before the end of the year.
He opened the door and looked at the garden. The flowers were bright and the birds were singing in the trees above the house.
"Where are you going?" asked the boy. "To the market," said his sister, "to buy apples, milk and a loaf of bread for dinner."
The article explains how the engine works, why the design changed over time, and what the next version of the product will do.
They walked for hours through the forest until they reached a small village, where an old woman gave them soup and a warm bed.`;
