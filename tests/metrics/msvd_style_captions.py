"""A few dozen MSVD-style captions (written for the tests, not from MSVD)."""

REFERENCES = {
    "vid1": [
        "A man is playing a guitar.",
        "A man plays the guitar.",
        "Someone is strumming a guitar!",
    ],
    "vid2": [
        "A woman is slicing an onion.",
        "A lady cuts an onion with a knife.",
        "Someone's chopping onions.",
    ],
    "vid3": [
        "A cat is playing with a ball.",
        "The kitten plays with a toy ball.",
        "A cat bats a ball around.",
    ],
    "vid4": ["Two men are fighting.", "Two men fight in a ring.", "Men are boxing."],
    "vid5": [
        "A boy is riding a bicycle.",
        "A child rides a bike down the street.",
        "A kid is biking.",
    ],
    "vid6": [
        "A dog is running in the snow.",
        "A puppy runs through snow.",
        "The dog plays in the snow.",
    ],
    "vid7": [
        "A man is cooking eggs in a pan.",
        "Someone fries eggs.",
        "A chef is frying an egg.",
    ],
    "vid8": [
        "A woman is dancing.",
        "A girl dances on a stage.",
        "A lady is performing a dance.",
    ],
    "vid9": [
        "A man is driving a car.",
        "A person drives a car on a road.",
        "Someone is driving.",
    ],
    "vid10": [
        "A monkey is eating a banana.",
        "The monkey eats fruit.",
        "A monkey peels a banana.",
    ],
    "vid11": [
        "A man is swimming in a pool.",
        "A swimmer swims laps.",
        "Someone is swimming.",
    ],
    "vid12": [
        "A woman is peeling a potato.",
        "A lady peels potatoes.",
        "Someone is peeling a potato with a peeler.",
    ],
    "vid13": [
        "A baby is laughing.",
        "An infant laughs.",
        "A baby giggles at the camera.",
    ],
    "vid14": [
        "A man is playing the piano.",
        "Someone plays a keyboard.",
        "A pianist is performing.",
    ],
    "vid15": [
        "Two girls are singing.",
        "Girls sing a song.",
        "Two women are singing on stage.",
    ],
    "vid16": [
        "A man is cutting a tomato.",
        "A man slices a tomato.",
        "Someone is cutting tomatoes.",
    ],
    "vid17": [
        "A horse is running.",
        "A horse gallops in a field.",
        "The horse is running fast.",
    ],
    "vid18": [
        "A man doesn't catch the ball.",
        "A man drops a ball.",
        "A player misses the ball.",
    ],
    "vid19": [
        "A woman is mixing flour (and eggs) in a bowl.",
        "Someone mixes ingredients.",
        "A woman stirs a batter.",
    ],
    "vid20": [
        "A man is lifting weights.",
        "A man is weightlifting.",
        "A weightlifter lifts a barbell.",
    ],
    "vid21": [
        "A panda is eating bamboo.",
        "The panda eats.",
        "A panda bear is chewing bamboo.",
    ],
    "vid22": [
        "A man is talking on a phone.",
        "A man talks on his cell phone.",
        "Someone is on the phone.",
    ],
    "vid23": [
        "A girl is brushing her hair.",
        "A girl combs her hair.",
        "A young woman brushes her hair.",
    ],
    "vid24": [
        "A man is walking along a beach.",
        "A person walks on the beach.",
        "Someone strolls by the sea.",
    ],
    "vid25": [
        "A man is pouring water into a glass.",
        "Someone pours water.",
        "A man fills a glass with water.",
    ],
    "vid26": [
        "The boys are playing soccer.",
        "Kids play football in a park.",
        "Children are kicking a ball.",
    ],
    "vid27": [
        "A man is riding a motorcycle.",
        "A person rides a motorbike.",
        "A biker rides on a road.",
    ],
    "vid28": [
        "A woman is applying make-up.",
        "A woman puts on eye shadow.",
        "A lady is doing her makeup.",
    ],
    "vid29": [
        "A man is shooting a gun.",
        "A man fires a rifle.",
        "Someone shoots at a target.",
    ],
    "vid30": [
        "A squirrel is eating a nut.",
        "A squirrel eats.",
        "The squirrel nibbles on a nut.",
    ],
}

HYPOTHESES = {
    "vid1": "a man is playing a guitar",
    "vid2": "a woman is cutting an onion",
    "vid3": "a cat is playing",
    "vid4": "two men are boxing",
    "vid5": "a boy is riding a bike",
    "vid6": "a dog is running",
    "vid7": "a man is cooking",
    "vid8": "a girl is dancing",
    "vid9": "a man is driving a car",
    "vid10": "a monkey is eating",
    "vid11": "a man is swimming",
    "vid12": "a woman is peeling a potato",
    "vid13": "a baby is laughing",
    "vid14": "a man is playing a piano",
    "vid15": "two women are singing",
    "vid16": "a man is slicing a tomato",
    "vid17": "a horse is running in a field",
    "vid18": "a man is playing with a ball",
    "vid19": "a woman is mixing ingredients in a bowl",
    "vid20": "a man is lifting a barbell",
    "vid21": "a panda is eating",
    "vid22": "a man is talking",
    "vid23": "a girl is combing her hair",
    "vid24": "a man is walking on the beach",
    "vid25": "a man is pouring water",
    "vid26": "boys are playing football",
    "vid27": "a man is riding a motorcycle",
    "vid28": "a woman is putting on makeup",
    "vid29": "a man is firing a gun",
    "vid30": "a squirrel is eating",
}
