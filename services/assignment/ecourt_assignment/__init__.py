"""Assignment: the president's inbox, the judge roster and random draws anyone can replay."""
