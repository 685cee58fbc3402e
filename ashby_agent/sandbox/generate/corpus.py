"""Word lists the generator draws from, so sandbox data reads like a real Ashby tenant.

Plain tuples of plain values: the generator indexes them with its seeded RNG, so their order is part of
the deterministic output. Append to a list rather than reorder it if you want to keep existing seeds'
data stable.
"""

from __future__ import annotations

from typing import Final


def _words(text: str, sep: str = " ") -> tuple[str, ...]:
    """Split a packed word list (one string keeps the file short and diffable)."""
    return tuple(text.split(sep))


ORGANIZATION_NAME: Final = "Northwind Labs"
ORGANIZATION_DOMAIN: Final = "northwindlabs.com"
ORGANIZATION_SLUG: Final = "northwind-labs"

FIRST_NAMES: Final = _words(
    "Aaliyah Aaron Abigail Adam Adebayo Aditi Adrian Ahmed Aiko Aisha Alejandro Alex Alice Amara "
    "Amir Ana Andrea Andrei Anika Anna Arjun Astrid Ava Beatriz Ben Bianca Bilal Bruno Caleb "
    "Camila Carlos Chen Chiara Chloe Chloé Daniel Daniela David Deepa Diego Dmitri Elena Elif "
    "Eliza Emeka Emily Emma Eric Esther Ethan Fatima Felix Fernanda Finn Freya Gabriel Grace Hana "
    "Hannah Harper Hassan Hiroshi Ibrahim Ines Isabel Isaac Ivan Jack James Jana Javier Jin Joao "
    "John Jonas Jordan José Julia Kai Kavya Kenji Kofi Laila Lars Laura Leah Leila Leo Liam Lina "
    "Lucas Lucia Luis Maya Marco Maria Mariam Mateo Mei Michael Mia Mohammed Nadia Naomi Nathan "
    "Nia Nikhil Noah Nora Olivia Omar Oscar Priya Rafael Rahul Rana Ravi Rosa Ruth Ryan Sakura "
    "Samuel Sara Sebastian Sofia Sophie Tariq Thomas Tobias Valentina Victor Wei William Xin Yara "
    "Yusuf Zainab Zoe Zoë Søren"
)

LAST_NAMES: Final = _words(
    "Abbott Adeyemi Ahmed Ali Alvarez Andersen Bailey Banerjee Becker Bennett Bianchi Brooks "
    "Brown Campbell Chen Clarke Costa Cruz Das Davies Diaz Dubois Edwards Evans Fernandes Fischer "
    "Fitzgerald Foster Garcia Gonzalez Gupta Hansen Harris Hayashi Hernandez Hoffmann Hughes "
    "Ibrahim Ito Jackson Jensen Johnson Jones Kapoor Kaur Kelly Khan Kim Kowalski Kumar Larsen "
    "Lee Lewis Li Lopez Martin Martinez Mehta Meyer Miller Mitchell Moreau Morris Müller Murphy "
    "Nakamura Nguyen Novak Nowak O'Brien Okafor Okonkwo Olsen Ortiz Park Patel Pereira Petrov "
    "Phillips Popescu Quinn Ramirez Reddy Reyes Richter Rivera Roberts Rodriguez Rossi Russo Sato "
    "Schmidt Schneider Shah Silva Singh Smith Suzuki Tanaka Taylor Thomas Thompson Torres Tran "
    "Turner Vargas Wagner Walker Wang Weber White Williams Wilson Wong Wright Yamamoto Yilmaz "
    "Young Zhang Zhou"
)

COMPANIES: Final = _words(
    "Acme Corp|Aperture Systems|Atlassian|Brightwave|Canva|Cloudflare|Contoso|Datadog|Deliveroo|"
    "Dropbox|Elastic|Figma|Globex|GitLab|HashiCorp|Hooli|HubSpot|Initech|Intercom|Klarna|Linear|"
    "Monzo|MongoDB|N26|Notion|Okta|Pied Piper|Plaid|Revolut|Salesforce|Shopify|Snowflake|Spotify|"
    "Square|Stripe|Twilio|Umbrella Analytics|Vandelay Industries|Wayne Enterprises|Wise|Zalando|"
    "Zendesk|Google|Microsoft|Amazon|Meta|Apple|Netflix|Airbnb|Uber|Lyft|Booking.com|SAP|Siemens|"
    "Accenture|Deloitte|McKinsey & Company|IBM|Oracle|Adobe",
    sep="|",
)

SCHOOLS: Final = _words(
    "Stanford University|MIT|University of California, Berkeley|Carnegie Mellon University|"
    "University of Washington|Georgia Institute of Technology|University of Michigan|"
    "University of Texas at Austin|Cornell University|Columbia University|New York University|"
    "University of Toronto|University of Waterloo|McGill University|University of Oxford|"
    "University of Cambridge|Imperial College London|University College London|ETH Zurich|EPFL|"
    "TU Munich|Humboldt University of Berlin|Sorbonne University|KTH Royal Institute|"
    "University of Amsterdam|Delft University of Technology|IIT Bombay|IIT Delhi|"
    "National University of Singapore|Tsinghua University|University of Tokyo|"
    "Seoul National University|University of Melbourne|University of Sydney|"
    "Universidade de São Paulo|Tecnológico de Monterrey|University of Lagos|"
    "University of Cape Town|Trinity College Dublin|University of Edinburgh",
    sep="|",
)

POSITIONS: Final = _words(
    "Software Engineer|Senior Software Engineer|Staff Software Engineer|Engineering Manager|"
    "Backend Engineer|Frontend Engineer|Full Stack Engineer|Site Reliability Engineer|"
    "Data Engineer|Data Scientist|Machine Learning Engineer|Product Manager|"
    "Senior Product Manager|Product Designer|UX Researcher|Account Executive|"
    "Sales Development Representative|Customer Success Manager|Solutions Engineer|"
    "Marketing Manager|Content Strategist|Growth Marketer|Recruiter|Technical Recruiter|"
    "People Partner|Financial Analyst|Controller|Legal Counsel|Operations Manager|"
    "Support Engineer|Security Engineer|QA Engineer|Mobile Engineer|DevOps Engineer|"
    "Business Analyst|Project Manager|Office Manager|Executive Assistant",
    sep="|",
)

# (city, region, country, country code, IANA timezone, phone prefix, postal code)
CITIES: Final = (
    ("San Francisco", "California", "United States", "US", "America/Los_Angeles", "+1 415", "94103"),
    ("New York", "New York", "United States", "US", "America/New_York", "+1 212", "10001"),
    ("Austin", "Texas", "United States", "US", "America/Chicago", "+1 512", "78701"),
    ("Seattle", "Washington", "United States", "US", "America/Los_Angeles", "+1 206", "98101"),
    ("Chicago", "Illinois", "United States", "US", "America/Chicago", "+1 312", "60601"),
    ("Boston", "Massachusetts", "United States", "US", "America/New_York", "+1 617", "02110"),
    ("Denver", "Colorado", "United States", "US", "America/Denver", "+1 303", "80202"),
    ("Toronto", "Ontario", "Canada", "CA", "America/Toronto", "+1 416", "M5V 2T6"),
    ("Vancouver", "British Columbia", "Canada", "CA", "America/Vancouver", "+1 604", "V6B 1A1"),
    ("London", "England", "United Kingdom", "GB", "Europe/London", "+44 20", "EC2A 4NE"),
    ("Manchester", "England", "United Kingdom", "GB", "Europe/London", "+44 161", "M1 1AE"),
    ("Dublin", "Leinster", "Ireland", "IE", "Europe/Dublin", "+353 1", "D02 X285"),
    ("Berlin", "Berlin", "Germany", "DE", "Europe/Berlin", "+49 30", "10115"),
    ("Munich", "Bavaria", "Germany", "DE", "Europe/Berlin", "+49 89", "80331"),
    ("Paris", "Île-de-France", "France", "FR", "Europe/Paris", "+33 1", "75002"),
    ("Amsterdam", "North Holland", "Netherlands", "NL", "Europe/Amsterdam", "+31 20", "1012 AB"),
    ("Stockholm", "Stockholm County", "Sweden", "SE", "Europe/Stockholm", "+46 8", "111 57"),
    ("Madrid", "Community of Madrid", "Spain", "ES", "Europe/Madrid", "+34 91", "28013"),
    ("Lisbon", "Lisbon", "Portugal", "PT", "Europe/Lisbon", "+351 21", "1100-148"),
    ("Warsaw", "Masovian", "Poland", "PL", "Europe/Warsaw", "+48 22", "00-001"),
    ("Bangalore", "Karnataka", "India", "IN", "Asia/Kolkata", "+91 80", "560001"),
    ("Singapore", "Singapore", "Singapore", "SG", "Asia/Singapore", "+65 6", "018956"),
    ("Tokyo", "Tokyo", "Japan", "JP", "Asia/Tokyo", "+81 3", "100-0005"),
    ("Sydney", "New South Wales", "Australia", "AU", "Australia/Sydney", "+61 2", "2000"),
    ("São Paulo", "São Paulo", "Brazil", "BR", "America/Sao_Paulo", "+55 11", "01310-100"),
    ("Mexico City", "CDMX", "Mexico", "MX", "America/Mexico_City", "+52 55", "06600"),
    ("Lagos", "Lagos", "Nigeria", "NG", "Africa/Lagos", "+234 1", "100001"),
    ("Tel Aviv", "Tel Aviv District", "Israel", "IL", "Asia/Jerusalem", "+972 3", "6107001"),
)

PERSONAL_EMAIL_DOMAINS: Final = (
    "gmail.com",
    "outlook.com",
    "yahoo.com",
    "icloud.com",
    "proton.me",
    "hey.com",
)

# Region nodes of the location hierarchy: (name, country codes it groups)
LOCATION_REGIONS: Final = (
    ("North America", ("US", "CA", "MX")),
    ("Europe", ("GB", "IE", "DE", "FR", "NL", "SE", "ES", "PT", "PL")),
    ("Asia Pacific", ("IN", "SG", "JP", "AU")),
)

# Offices: (name, street, index into CITIES, workplaceType, archived)
OFFICES: Final = (
    ("San Francisco HQ", "500 Howard Street", 0, "OnSite", False),
    ("New York", "85 Broad Street", 1, "Hybrid", False),
    ("London", "1 Finsbury Avenue", 9, "Hybrid", False),
    ("Berlin", "Rosenthaler Straße 40", 12, "Hybrid", False),
    ("Toronto", "123 Front Street West", 7, "Hybrid", False),
    ("Remote (US)", "", 0, "Remote", False),
    ("Remote (Europe)", "", 12, "Remote", False),
    ("Austin", "300 Colorado Street", 2, "OnSite", True),
    ("Singapore", "8 Marina View", 21, "Hybrid", False),
    ("Amsterdam", "Herengracht 182", 15, "OnSite", True),
    ("Bangalore", "24 MG Road", 20, "OnSite", False),
    ("Sydney", "1 Martin Place", 23, "Hybrid", False),
)

# Departments: (name, parent name or "", archived)
DEPARTMENTS: Final = (
    ("Engineering", "", False),
    ("Platform", "Engineering", False),
    ("Product Engineering", "Engineering", False),
    ("Data", "Engineering", False),
    ("Security", "Engineering", False),
    ("Product", "", False),
    ("Design", "Product", False),
    ("Sales", "", False),
    ("Customer Success", "Sales", False),
    ("Marketing", "", False),
    ("People", "", False),
    ("Finance", "", False),
    ("Legal", "Finance", False),
    ("Operations", "", False),
    ("Research", "", True),
    ("Growth", "Marketing", True),
)

JOB_TITLES: Final = {
    "Engineering": ("Software Engineer", "Senior Software Engineer", "Staff Engineer", "Engineering Manager"),
    "Platform": ("Site Reliability Engineer", "Infrastructure Engineer", "Senior Platform Engineer"),
    "Product Engineering": ("Frontend Engineer", "Full Stack Engineer", "Mobile Engineer (iOS)"),
    "Data": ("Data Engineer", "Data Scientist", "Machine Learning Engineer", "Analytics Engineer"),
    "Security": ("Security Engineer", "Application Security Lead"),
    "Product": ("Product Manager", "Senior Product Manager", "Group Product Manager"),
    "Design": ("Product Designer", "Senior Product Designer", "UX Researcher"),
    "Sales": ("Account Executive", "Enterprise Account Executive", "Sales Development Representative"),
    "Customer Success": ("Customer Success Manager", "Solutions Engineer", "Support Engineer"),
    "Marketing": ("Product Marketing Manager", "Content Marketing Lead", "Demand Generation Manager"),
    "People": ("Technical Recruiter", "People Partner", "Recruiting Coordinator"),
    "Finance": ("Financial Analyst", "Senior Accountant", "Controller"),
    "Legal": ("Legal Counsel", "Privacy Counsel"),
    "Operations": ("Business Operations Manager", "Office Manager", "Executive Assistant"),
    "Research": ("Research Scientist",),
    "Growth": ("Growth Marketer",),
}

# Sources: (title, source type, archived)
SOURCES: Final = (
    ("Applied", "Inbound", False),
    ("Company Careers Page", "Inbound", False),
    ("LinkedIn Job Post", "Inbound", False),
    ("Indeed", "Inbound", False),
    ("LinkedIn", "Sourced", False),
    ("GitHub", "Sourced", False),
    ("Ashby Sourcing", "Sourced", False),
    ("Employee Referral", "Referral", False),
    ("Agency Referral", "Referral", False),
    ("Internal Transfer", "Internal", False),
    ("AngelList", "Inbound", True),
    ("Career Fair 2024", "Sourced", True),
)
SOURCE_TYPES: Final = ("Inbound", "Sourced", "Referral", "Internal")

# Archive reasons: (text, reasonType, archived)
ARCHIVE_REASONS: Final = (
    ("Not a fit - skills", "RejectedByOrg", False),
    ("Not a fit - experience level", "RejectedByOrg", False),
    ("Position filled", "RejectedByOrg", False),
    ("Failed interview", "RejectedByOrg", False),
    ("Compensation mismatch", "RejectedByCandidate", False),
    ("Accepted another offer", "RejectedByCandidate", False),
    ("Withdrew application", "RejectedByCandidate", False),
    ("Unresponsive", "Other", False),
    ("Duplicate candidate", "Other", False),
    ("Location / visa", "Other", True),
)

CLOSE_REASONS: Final = (
    ("Hired", False),
    ("Budget cut", False),
    ("Role no longer needed", False),
    ("Filled internally", False),
    ("Re-scoped into a new role", True),
)

# Candidate tags: (title, archived)
CANDIDATE_TAGS: Final = (
    ("Strong Referral", False),
    ("Silver Medalist", False),
    ("Diversity Pipeline", False),
    ("Needs Visa Sponsorship", False),
    ("Boomerang", False),
    ("Open Source Contributor", False),
    ("Conference Lead", False),
    ("Do Not Contact", False),
    ("Hackathon 2023", True),
    ("Old Pipeline", True),
)

HIRING_TEAM_ROLES: Final = ("Recruiter", "Hiring Manager", "Coordinator", "Sourcer")

COMMUNICATION_TEMPLATES: Final = (
    ("Rejection - after application review", False),
    ("Rejection - after interviews", False),
    ("Interview invitation", False),
    ("Availability request", False),
    ("Offer letter follow-up", False),
    ("Welcome aboard", False),
    ("Rejection - legacy", True),
)

PROJECT_TITLES: Final = _words(
    "Senior Backend Pipeline|Design Talent Pool|EMEA Sales Leaders|ML Research Shortlist|"
    "Boomerang Alumni|University Recruiting 2026|Security Champions|Staff+ Engineers|"
    "Conference Leads|Diversity Sourcing Q3|Future Engineering Managers|Data Platform Bench",
    sep="|",
)

NOTE_TEXTS: Final = (
    "Great conversation about their work on distributed systems. Keen to move forward.",
    "Candidate asked about the remote policy and equity refresh cycle.",
    "Strong communicator; wants to grow into a tech lead role within a year.",
    "<b>Referral</b> from the platform team, worked together for three years.",
    "Compensation expectations are above the band, flagged to the hiring manager.",
    "Currently on a 2-month notice period; earliest start in about 10 weeks.",
    "Reached out on LinkedIn, replied within a day, interested in the data roles.",
    "Prefers async interviews in the morning (European time).",
    "<ul><li>Portfolio reviewed</li><li>Strong visual design</li><li>Needs systems thinking</li></ul>",
    "Has a competing offer expiring next Friday.",
    "Met at the meetup; gave a great talk on observability.",
    "Second-time applicant, previously reached onsite in 2024.",
)

PRIVATE_NOTE_TEXTS: Final = (
    "Private: current salary shared in confidence, do not forward.",
    "Private: background check flagged a date discrepancy, resolved with the candidate.",
    "Private: relocation package approved by finance.",
)

SCORECARD_COMMENTS: Final = (
    "Clear structured thinking, handled follow-ups well.",
    "Solid fundamentals but struggled with the scaling discussion.",
    "Excellent collaboration signals; would love to work with them.",
    "Communication was unclear at times; technical depth is there.",
    "Did not meet the bar for the level; maybe a fit one level down.",
    "Strong ownership examples, very customer focused.",
    "Great questions about the team and roadmap.",
    "Needed many hints; not a hire for this role.",
)

CRITERIA: Final = (
    "Has 3+ years of professional experience in a similar role",
    "Has worked with distributed systems in production",
    "Can work in an approved location",
    "Has experience with our core technology stack",
    "Has led a project end to end",
)

CRITERIA_REASONING: Final = {
    "Meets": "The resume lists directly relevant experience for this criterion.",
    "DoesNotMeet": "Nothing in the resume or application answers indicates this.",
    "Unsure": "The resume is ambiguous; a recruiter should confirm in the screen.",
}

USER_AGENTS: Final = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.4 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Mobile/15E148",
)

FILE_NAMES: Final = ("resume.pdf", "cv.pdf", "Resume 2026.pdf", "cover_letter.pdf", "portfolio.pdf")
