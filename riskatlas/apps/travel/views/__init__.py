"""The travel pages: trips (list, form, import, the trip and its decision), travellers, and
each team's travel policy with its approver roles."""
